import { modelContract } from '../test-utils/contract.js';
import { hybridEntry, hybridStaticEntry } from './hybrid.js';

modelContract(hybridEntry);
modelContract(hybridStaticEntry);
