import type { Clock } from '../platform/clock.ts';

/**
 * Real time plus an offset the test moves forward: operations and timeouts keep working while the
 * code under test (collector, alarms) sees minutes pass without sleeping.
 */
export class OffsetClock implements Clock {
  private offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}
