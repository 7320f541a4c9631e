import { randomBytes } from 'node:crypto';

/**
 * A keyfence.yml with two custom rules of our own, so end-to-end tests of suppressions and reports
 * do not depend on the built-in rule pack. Their tokens are made at run time.
 */
export const CUSTOM_RULES = `rules:
  - id: kf-test-token
    description: keyfence test token
    category: live-key
    severity: high
    keywords: [kft_]
    regex: '\\b(kft_[a-f0-9]{32})\\b'
    examples: { match: [], noMatch: [] }
  - id: kf-other-token
    description: keyfence other test token
    category: live-key
    severity: low
    keywords: [kfo_]
    regex: '\\b(kfo_[a-f0-9]{32})\\b'
    examples: { match: [], noMatch: [] }
`;

export const testToken = () => `kft_${randomBytes(16).toString('hex')}`;
export const otherToken = () => `kfo_${randomBytes(16).toString('hex')}`;
