export { campaignInputFromPlan, type CampaignInputOptions } from './campaign-input';
