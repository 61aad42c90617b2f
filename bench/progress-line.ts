/** The progress display on stderr: one line per scenario, rewritten in place on a terminal, appended otherwise. */

export class ProgressLine {
  readonly #label: string;
  readonly #stream: NodeJS.WriteStream;
  readonly #tty: boolean;
  #last = '';

  constructor(label: string, stream: NodeJS.WriteStream = process.stderr) {
    this.#label = label.padEnd(20);
    this.#stream = stream;
    this.#tty = stream.isTTY;
  }

  update(text: string): void {
    const line = `${this.#label} ${text}`;
    if (line === this.#last) return;
    this.#last = line;
    // Off a terminal (CI logs, the smoke test) carriage returns would pile up: one line each.
    if (this.#tty) {
      const width = Math.max(20, (this.#stream.columns || 100) - 1);
      this.#stream.write(`\r\x1b[2K${line.slice(0, width)}`);
    } else this.#stream.write(`${line}\n`);
  }

  finish(text: string): void {
    const line = `${this.#label} ${text}`;
    this.#stream.write(this.#tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
    this.#last = '';
  }
}
