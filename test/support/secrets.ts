import { randomString, seededRandom } from './fakeSecrets.js';

/**
 * Token-shaped values for tests, assembled at run time so that no token-shaped string is ever
 * committed (this repository must pass its own scan).
 */
const random = seededRandom('test-secrets');

export const fake = {
  stripeLive: () => ['sk', 'live', randomString(random, 'alnum', 24)].join('_'),
  stripeTest: () => ['sk', 'test', randomString(random, 'alnum', 24)].join('_'),
  awsAccessKeyId: () => ['AK', 'IA', randomString(random, 'uppernum', 16)].join(''),
  password: () => randomString(random, 'alnum', 18) + '9x',
};
