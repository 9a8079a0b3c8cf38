import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { VisibilityTimeoutError, WorkQueues } from '../../infra/constructs/workQueues';

function build(props: { executorTimeout: Duration; visibilityTimeout?: Duration }): Stack {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'queues');
  new WorkQueues(stack, 'Queues', { ...props, deadLetterHandlerTimeout: Duration.seconds(30) });
  return stack;
}

describe('WorkQueues', () => {
  it('should refuse at synth a visibility timeout below 6x the executor timeout', () => {
    expect(() => build({ executorTimeout: Duration.seconds(90), visibilityTimeout: Duration.seconds(539) }))
      .toThrow(VisibilityTimeoutError);
  });

  it('should accept exactly 6x and default to it', () => {
    expect(() => build({ executorTimeout: Duration.seconds(90), visibilityTimeout: Duration.seconds(540) })).not.toThrow();
    const template = Template.fromStack(build({ executorTimeout: Duration.seconds(120) }));
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 720, DeduplicationScope: 'messageGroup' });
  });
});
