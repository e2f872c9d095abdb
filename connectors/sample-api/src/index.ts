export type { SampleApi, SampleApiOptions, SampleApiStats } from './sample-api-server';
export { startSampleApi } from './sample-api-server';
export type { Customer, CustomerNote, Order, Region, SampleData, SampleDataOptions } from './sample-data';
export { createSampleData } from './sample-data';
