/** The Opportunity stage picklist of a new org, with the probability and forecast category each stage implies. */

export interface StageDef {
  name: string;
  probability: number;
  forecastCategory: string;
  closed: boolean;
  won: boolean;
}

export const OPPORTUNITY_STAGES: readonly StageDef[] = [
  { name: 'Prospecting', probability: 10, forecastCategory: 'Pipeline', closed: false, won: false },
  { name: 'Qualification', probability: 10, forecastCategory: 'Pipeline', closed: false, won: false },
  { name: 'Needs Analysis', probability: 20, forecastCategory: 'Pipeline', closed: false, won: false },
  { name: 'Value Proposition', probability: 50, forecastCategory: 'Pipeline', closed: false, won: false },
  { name: 'Id. Decision Makers', probability: 60, forecastCategory: 'Pipeline', closed: false, won: false },
  { name: 'Perception Analysis', probability: 70, forecastCategory: 'Pipeline', closed: false, won: false },
  { name: 'Proposal/Price Quote', probability: 75, forecastCategory: 'Pipeline', closed: false, won: false },
  { name: 'Negotiation/Review', probability: 90, forecastCategory: 'Pipeline', closed: false, won: false },
  { name: 'Closed Won', probability: 100, forecastCategory: 'Closed', closed: true, won: true },
  { name: 'Closed Lost', probability: 0, forecastCategory: 'Omitted', closed: true, won: false },
];
