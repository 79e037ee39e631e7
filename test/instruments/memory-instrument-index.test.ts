import { createMemoryInstrumentIndex } from '../../src/instruments/index/memory-instrument-index.ts';
import { describeInstrumentIndexContract } from '../contracts/instrument-index.contract.ts';

describeInstrumentIndexContract('in-process', () => createMemoryInstrumentIndex());
