import { describe, expect, test } from 'vitest';
import { createGroupCommitter } from './group-commit';

interface Request {
  readonly stream: string;
  readonly n: number;
}

/** A committer over a fake database that records the batches it was given. */
function recording(
  options: { maxAppends?: number; maxInFlight?: number } = {},
  answer = (r: Request): string | Error => `${r.stream}:${r.n}`,
  /** How long the fake database takes to answer a batch. */
  answered = (_batch: readonly Request[]): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 5)),
) {
  const batches: Request[][] = [];
  const committer = createGroupCommitter<Request, string>(
    async (batch) => {
      batches.push([...batch]);
      await answered(batch);
      return batch.map(answer);
    },
    (r) => r.stream,
    options,
  );
  return { batches, submit: (stream: string, n: number) => committer.submit({ stream, n }) };
}

describe('createGroupCommitter', () => {
  test('appends made together go out as one batch, each caller getting its own answer', async () => {
    const { batches, submit } = recording();
    expect(await Promise.all([submit('a', 1), submit('b', 1), submit('c', 1)])).toEqual(['a:1', 'b:1', 'c:1']);
    expect(batches.map((b) => b.map((r) => r.stream))).toEqual([['a', 'b', 'c']]);
    // Writers that resume together from a shared batch wait one turn for each other.
    expect(await Promise.all([submit('a', 2), submit('b', 2), submit('c', 2)])).toEqual(['a:2', 'b:2', 'c:2']);
    expect(batches.map((b) => b.map((r) => r.stream))).toEqual([['a', 'b', 'c'], ['a', 'b', 'c']]);
  });

  test("a lone writer's append goes out after the current microtasks, not on the next turn of the event loop", async () => {
    const { batches, submit } = recording();
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    let turned = false;
    void nextTurn().then(() => (turned = true));
    // The first waits a turn, for any writer starting with it; it was alone.
    const first = submit('a', 1);
    await Promise.resolve();
    expect(batches.length).toBe(0);
    expect(await first).toBe('a:1');
    for (let n = 2; n <= 4; n++) {
      turned = false;
      void nextTurn().then(() => (turned = true));
      const answer = submit('a', n);
      await Promise.resolve();
      expect(batches.length, `append ${n} handed to the database within the same turn`).toBe(n);
      expect(turned).toBe(false);
      expect(await answer).toBe(`a:${n}`);
    }
    // A burst made in one go after lone appends still shares one statement.
    await Promise.all([submit('a', 5), submit('b', 1), submit('c', 1)]);
    expect(batches.map((b) => b.map((r) => `${r.stream}${r.n}`)).slice(4)).toEqual([['a5', 'b1', 'c1']]);
    await submit('a', 6);
    // Another writer arriving while one append is under way waits for it, then they share.
    const lone = submit('a', 7);
    await Promise.resolve();
    const together = [submit('b', 2), submit('c', 2)];
    await Promise.all([lone, ...together]);
    expect(batches.map((b) => b.map((r) => `${r.stream}${r.n}`)).slice(6)).toEqual([['a7'], ['b2', 'c2']]);
  });

  test("two appends to one stream never share a batch, and keep their order", async () => {
    const { batches, submit } = recording();
    await Promise.all([submit('a', 1), submit('b', 1), submit('a', 2), submit('a', 3), submit('c', 1)]);
    expect(batches.map((b) => b.map((r) => `${r.stream}${r.n}`))).toEqual([['a1', 'b1', 'c1'], ['a2'], ['a3']]);
  });

  test('a stream with a batch under way waits for its answer even with room for more batches', async () => {
    // a1's answer is held until the test lets it go: no timing to race on a busy machine.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const { batches, submit } = recording({ maxInFlight: 4 }, undefined, (batch) => (batch[0]?.stream === 'a' && batch[0].n === 1 ? held : Promise.resolve()));
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const first = submit('a', 1);
    await turn();
    const rest = [submit('a', 2), submit('b', 1)];
    await turn();
    await turn();
    const shown = () => batches.map((b) => b.map((r) => `${r.stream}${r.n}`));
    expect(shown()).toEqual([['a1'], ['b1']]);
    release();
    await Promise.all([first, ...rest]);
    expect(shown()).toEqual([['a1'], ['b1'], ['a2']]);
  });

  test('maxAppends cuts large batches', async () => {
    const { batches, submit } = recording({ maxAppends: 2 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((s) => submit(s, 1)));
    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
  });

  test("one caller's error is that caller's; a failed batch fails only its own callers", async () => {
    const { submit } = recording({}, (r) => (r.stream === 'bad' ? new Error('conflict') : 'ok'));
    const results = await Promise.allSettled([submit('good', 1), submit('bad', 1), submit('other', 1)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);

    let calls = 0;
    const committer = createGroupCommitter<Request, string>(
      async (batch) => {
        if (calls++ === 0) throw new Error('database down');
        return batch.map(() => 'ok');
      },
      (r) => r.stream,
    );
    const failed = await Promise.allSettled([committer.submit({ stream: 'a', n: 1 }), committer.submit({ stream: 'b', n: 1 })]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await committer.submit({ stream: 'a', n: 2 })).toBe('ok');
  });
});
