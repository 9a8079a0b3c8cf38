import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, InvalidSettingError, parseSettings, resolveSettings } from '../../infra/settings';
import { CDK_JSON_CONTEXT } from './tockStackFixture';

describe('settings', () => {
  it('should keep cdk.json\'s context equal to the documented defaults', () => {
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) expect(CDK_JSON_CONTEXT[key], key).toEqual(value);
  });

  it('should default everything, with scanner concurrency twice the shard count', () => {
    expect(parseSettings({})).toEqual({
      ...DEFAULT_SETTINGS, scannerReservedConcurrency: 16,
      customDomainName: undefined, certificateArn: undefined, alarmEmail: undefined,
    });
  });

  it('should read -c strings: numbers, booleans and comma-separated lists', () => {
    const settings = parseSettings({
      shardCount: '16', deletionProtection: 'false', allowedTargetCidrs: '10.0.0.0/8, 192.168.1.0/24', logLevel: 'debug',
    });
    expect(settings).toMatchObject({
      shardCount: 16, scannerReservedConcurrency: 32, deletionProtection: false,
      allowedTargetCidrs: ['10.0.0.0/8', '192.168.1.0/24'], logLevel: 'DEBUG',
    });
  });

  it('should let props override context', () => {
    const app = new App({ context: { shardCount: '4', stage: 'dev' } });
    expect(resolveSettings(app.node, { shardCount: 12 })).toMatchObject({ shardCount: 12, stage: 'dev' });
  });

  it.each([
    [{ shardCount: '0' }, 'shardCount'],
    [{ shardCount: 'eight' }, 'shardCount'],
    [{ logRetentionDays: 10 }, 'logRetentionDays'],
    [{ logLevel: 'VERBOSE' }, 'logLevel'],
    [{ allowedTargetCidrs: ['10.0.0.0'] }, 'allowedTargetCidrs'],
    [{ deletionProtection: 'yes' }, 'deletionProtection'],
    [{ stage: 'Prod_1' }, 'stage'],
    [{ customDomainName: 'api.example.com' }, 'certificateArn'],
    [{ shardCount: 8, scannerReservedConcurrency: 4 }, 'scannerReservedConcurrency'],
    [{ maxAttemptTimeoutSeconds: 900 }, 'maxAttemptTimeoutSeconds'],
    [{ alarmEmail: 'ops' }, 'alarmEmail'],
  ])('should refuse %j naming %s', (raw, key) => {
    expect(() => parseSettings(raw)).toThrow(InvalidSettingError);
    expect(() => parseSettings(raw)).toThrow(`"${key}"`);
  });
});
