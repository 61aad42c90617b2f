/** bench/results.md: the results as one Markdown table (for the README) plus how the run was made. */
import type { BenchResults, Figure, ScenarioResult } from './bench-results.ts';

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function formatNumber(value: number, unit: string): string {
  if (unit === '×') return value.toFixed(2);
  if (unit === 'ms') return value.toFixed(3);
  if (unit === 'MiB') return value.toFixed(1);
  if (unit.endsWith('/s')) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(4);
}

const withUnit = (text: string, unit: string): string =>
  unit === '×' ? `${text}×` : `${text} ${unit}`;

export function formatValue(value: number | null, unit: string): string {
  return value === null ? '—' : withUnit(formatNumber(value, unit), unit);
}

function formatSpread(figure: Figure): string {
  if (figure.min === null || figure.max === null) return '—';
  const range = `${formatNumber(figure.min, figure.unit)} – ${formatNumber(figure.max, figure.unit)}`;
  return `${range} (${figure.perRound.length})`;
}

function targetText(figure: Figure): string {
  if (figure.target === null) return '—';
  const sign = figure.target.comparator === '>=' ? '≥' : '≤';
  const on = figure.judgedOn === 'max' ? ' (worst round)' : '';
  return `${sign} ${formatValue(figure.target.value, figure.unit)}${on}`;
}

function verdict(figure: Figure, scenario: ScenarioResult): string {
  if (figure.median === null) {
    if (scenario.status === 'measured') return cell(figure.detail);
    return cell(`${scenario.status.replace('-', ' ')}: ${scenario.reason ?? ''}`);
  }
  if (figure.met === null) return 'no target';
  const word = figure.met ? 'met' : 'NOT met';
  return figure.straddles ? `${word} (rounds on both sides)` : word;
}

function row(scenario: ScenarioResult, figure: Figure): string {
  const measured = figure.median !== null;
  const spread = formatSpread(figure);
  const state = figure.state === 'none' ? '—' : figure.state;
  return `| ${[
    cell(figure.label),
    state,
    measured ? `**${formatValue(figure.median, figure.unit)}**` : '—',
    spread,
    targetText(figure),
    verdict(figure, scenario),
    measured ? cell(figure.detail) : '',
  ].join(' | ')} |`;
}

export function renderResultsTable(results: BenchResults): string {
  const lines = [
    '| Figure | State | Median | Spread: min – max (rounds) | Target | Verdict | Medians behind it |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const scenario of results.scenarios) {
    for (const figure of scenario.figures) lines.push(row(scenario, figure));
  }
  return lines.join('\n');
}

export function renderResultsMarkdown(results: BenchResults): string {
  const env = results.environment;
  const commit =
    env.gitCommit === null
      ? 'unknown commit'
      : `commit ${env.gitCommit.slice(0, 10)}${env.gitDirty === true ? ' (with uncommitted changes)' : ''}`;
  const only = results.run.only === null ? '' : `, only ${results.run.only.join(', ')}`;
  return [
    '# Benchmark results',
    '',
    `${results.run.mode.charAt(0).toUpperCase()}${results.run.mode.slice(1)} run${only} of \`npm run bench\` on ${env.date},`,
    `${env.cpuModel} × ${env.cores} cores, ${env.totalMemoryMiB} MiB, node ${env.node}, load average`,
    `${env.loadAverage} at start, ${commit}; ${Math.round(results.run.durationSeconds)} s.`,
    '',
    'Every figure is a ratio or difference against a baseline measured in the same run, in',
    'interleaved rounds; the median over the rounds is judged (memory: the worst round) and the',
    'spread shows how much the rounds disagreed. See bench/README.md for how to read it.',
    '',
    renderResultsTable(results),
    '',
  ].join('\n');
}
