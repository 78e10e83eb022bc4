import { describe, expect, it } from 'vitest';
import type { Detection, Detector } from '../../src/detect/index.js';
import type { WardEvent } from '../../src/normalize/index.js';
import { packLines, runBatches, type EventBatch } from '../../src/serve/detection.js';

function batch(texts: string[]): EventBatch {
  const { buf, offsets } = packLines(texts.map((t) => Buffer.from(t)));
  return { orgId: 'o', source: 's', format: 'ndjson', receivedAt: 1, buf, offsets, seqs: Float64Array.from(texts, (_, i) => i + 1) };
}

describe('runBatches with a detector that prescreens raw lines', () => {
  it('skips lines the screen rejects unparsed, keeps lines with address facts, hands verdicts to process()', () => {
    const seen: { host: unknown; hint: unknown }[] = [];
    const det: Detector = {
      name: 'screened',
      screen: (buf, start, end) => {
        const line = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8', start, end);
        if (line.includes('boring')) return false;
        return line.includes('hinted') ? { rules: [1] } : true;
      },
      process(ev: WardEvent, hint?: unknown): Detection[] {
        seen.push({ host: ev.get('Computer'), hint });
        return [];
      },
      flush: () => [],
    };
    const r = runBatches({ detector: () => det, allDetectors: () => [] }, [
      batch([
        'boring and not even JSON',
        '{"Computer":"a"}',
        '{"Computer":"b","boring":1,"EventID":4624,"TargetUserName":"WS1$","IpAddress":"10.0.0.5"}',
        '{"Computer":"c","hinted":true}',
      ]),
    ]);
    expect(r.events).toBe(4);
    expect(r.screened).toBe(1);
    expect(r.errors).toBe(0);
    expect(r.maxSeq).toBe(4);
    expect(r.ops).toContainEqual({ t: 'learn', orgId: 'o', ip: '10.0.0.5', host: 'WS1' });
    expect(seen).toEqual([
      { host: 'a', hint: undefined },
      // Rejected by the screen but parsed for its address fact: process() gets the screen's false.
      { host: 'b', hint: false },
      { host: 'c', hint: { rules: [1] } },
    ]);
  });
});
