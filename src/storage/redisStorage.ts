/** Placeholder until the Redis backend lands (issue 9): fail clearly instead of half-working. */
import { StorageUnavailableError, type CoachStorage } from './coachStorage';

export const RedisStorage = {
  async connect(_url: string): Promise<CoachStorage> {
    throw new StorageUnavailableError('the redis store is not available in this version');
  },
};
