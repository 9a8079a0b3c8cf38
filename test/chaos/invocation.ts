import type { AppPorts } from './inProcessApp';

/** Thrown by a port of an invocation that has died: the process is gone, nothing after runs. */
export class InjectedCrash extends Error {
  override readonly name = 'InjectedCrash';
}

/** Where an invocation dies: before or after the n-th call of one step. */
export interface CrashPoint {
  /** `<port>.<method>` (e.g. `tasks.claim`) or `deliver`. */
  readonly step: string;
  readonly phase: 'before' | 'after';
  /** Which call of that step (1 = the first). */
  readonly occurrence: number;
}

/**
 * One Lambda invocation. Every port call goes through step(): at the crash point the invocation
 * dies (before the call, or after it took effect but before its answer is used), and from then on
 * every call it makes throws: a dead process does nothing more, even on branches still running.
 */
export class Invocation {
  private dead = false;
  private readonly calls = new Map<string, number>();
  /** The step at which it died, as `<step> <phase>`. */
  diedAt: string | null = null;

  constructor(
    readonly id: number,
    private readonly point: CrashPoint | null,
    private readonly onCrash: (step: string, phase: string) => void = () => undefined,
  ) {}

  get isDead(): boolean {
    return this.dead;
  }

  /** Kills it from outside (an executor killed mid-request). */
  kill(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.diedAt = reason;
  }

  async step<T>(name: string, call: () => Promise<T>): Promise<T> {
    if (this.dead) throw new InjectedCrash(`invocation ${this.id} is dead (${this.diedAt})`);
    const n = (this.calls.get(name) ?? 0) + 1;
    this.calls.set(name, n);
    const hit = this.point !== null && this.point.step === name && this.point.occurrence === n;
    if (hit && this.point!.phase === 'before') this.die(name, 'before');
    const result = await call();
    if (this.dead) throw new InjectedCrash(`invocation ${this.id} died while ${name} was in flight`);
    if (hit) this.die(name, 'after');
    return result;
  }

  private die(step: string, phase: 'before' | 'after'): never {
    this.dead = true;
    this.diedAt = `${step} ${phase}`;
    this.onCrash(step, phase);
    throw new InjectedCrash(`invocation ${this.id} crashed ${phase} ${step}`);
  }
}

/** The ports as one invocation sees them: each call is a step that may be its last. */
export function portsOf(ports: AppPorts, invocation: Invocation): AppPorts {
  const wrap = <T extends object>(port: T, portName: string): T =>
    new Proxy(port, {
      get(target, property) {
        const value = Reflect.get(target, property) as unknown;
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return (...args: unknown[]) => invocation.step(`${portName}.${property}`, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
      },
    });
  return {
    tasks: wrap(ports.tasks, 'tasks'),
    executions: wrap(ports.executions, 'executions'),
    dueIndex: wrap(ports.dueIndex, 'dueIndex'),
    queue: wrap(ports.queue, 'queue'),
    payloads: wrap(ports.payloads, 'payloads'),
  };
}
