import { describe, expect, it } from 'vitest';
import { decodeToken, encodeToken, InvalidPageTokenError } from '../../../lambdas/adapters/dynamo/keys';

const token = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('page tokens', () => {
  it('should give back the key a token was made from', () => {
    const key = { pk: 'T#u#task_1', sk: 'X#0001#exe_1' };
    expect(decodeToken(encodeToken(key)!, ['pk', 'sk'])).toEqual(key);
  });

  it('should read no token as the first page', () => {
    expect(decodeToken(undefined, ['pk', 'sk'])).toBeUndefined();
    expect(decodeToken('', ['pk', 'sk'])).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', 'not-a-token'],
    ['an array', token(['pk', 'sk'])],
    ['null', token(null)],
    ['a key missing (found by the fuzz suite: DynamoDB refused it with a 500)', token({ gsi1pk: 'U#fuzz-owner' })],
    ['an extra key', token({ pk: 'a', sk: 'b', gsi1pk: 'c' })],
    ['a number for a key', token({ pk: 'a', sk: 1 })],
    ['a nested object for a key', token({ pk: 'a', sk: { S: 'b' } })],
  ])('should refuse %s', (_what, value) => {
    expect(() => decodeToken(value, ['pk', 'sk'])).toThrow(InvalidPageTokenError);
  });
});
