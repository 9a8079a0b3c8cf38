import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolveSettings } from './settings';
import { TockStack, tockStackName } from './tockStack';

// `cdk synth` / `cdk deploy` entry (cdk.json: `npx tsx infra/app.ts`). Settings come from cdk.json's
// context and `-c key=value`; see infra/settings.ts and docs/deploy.md.
const app = new App();
const { stage } = resolveSettings(app.node);

new TockStack(app, tockStackName(stage), {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

// The AWS Solutions pack runs on every synth; each suppression in infra/ carries its reason.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));

app.synth();
