/** Runs baseline and subjects side by side, round after round, rotating their order so no one always goes first. */

/**
 * Round r measures every subject once, in the subject list rotated by r (A B, B A, A B … for two):
 * slow drifts of a noisy machine then hit every subject alike, and each round's figures are
 * compared with each other only.
 */
export async function runInterleavedRounds<S extends string, M>(options: {
  readonly subjects: readonly S[];
  readonly rounds: number;
  readonly measure: (subject: S, round: number) => Promise<M>;
  readonly afterEach?: (round: number, subject: S, measurement: M) => void;
}): Promise<Record<S, M[]>> {
  const { subjects, rounds } = options;
  const samples = Object.fromEntries(subjects.map((subject) => [subject, [] as M[]])) as Record<
    S,
    M[]
  >;
  for (let round = 0; round < rounds; round += 1) {
    const shift = round % subjects.length;
    const order = [...subjects.slice(shift), ...subjects.slice(0, shift)];
    for (const subject of order) {
      const measurement = await options.measure(subject, round);
      samples[subject].push(measurement);
      options.afterEach?.(round, subject, measurement);
    }
  }
  return samples;
}

/** One value per round from paired measurements: e.g. subject rps ÷ baseline rps of the same round. */
export function perRound<M>(
  left: readonly M[],
  right: readonly M[],
  combine: (left: M, right: M) => number,
): number[] {
  return left.map((value, round) => {
    const other = right[round];
    if (other === undefined) throw new Error('paired samples differ in length');
    return combine(value, other);
  });
}
