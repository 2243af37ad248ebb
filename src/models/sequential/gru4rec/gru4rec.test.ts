import { describe } from 'vitest';
import { modelContract } from '../../test-utils/contract.js';
import { gru4recEntry } from './index.js';

describe('gru4rec', () => {
  modelContract(gru4recEntry);
});
