import { listModels } from './registry.js';
import { modelContract } from './test-utils/contract.js';

for (const entry of listModels()) modelContract(entry);
