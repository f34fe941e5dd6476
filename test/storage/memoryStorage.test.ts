import { MemoryStorage } from '../../src/storage/memoryStorage';
import { storageContract } from './storageContract';

storageContract('memory', async () => new MemoryStorage());
