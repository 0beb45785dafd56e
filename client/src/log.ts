// The `ovfkit` output channel: timestamped lines; secrets registered with `redact` never appear,
// and control characters (a server's terminal escapes, a line break faking a log line) are shown
// as visible escapes.
import * as vscode from 'vscode';
import { printable } from './transfer/common/sanitise';

export class Log {
  private readonly secrets = new Set<string>();
  constructor(private readonly channel: vscode.OutputChannel) {}

  /** Registers a value (password, token) that must be masked wherever it would be logged. */
  redact(secret: string | undefined): void {
    if (secret && secret.length >= 3) this.secrets.add(secret);
  }

  info(message: string): void { this.write('info', message); }
  warn(message: string): void { this.write('warn', message); }
  error(message: string): void { this.write('error', message); }
  show(): void { this.channel.show(true); }

  private write(level: string, message: string): void {
    let text = message;
    for (const s of this.secrets) text = text.split(s).join('***');
    this.channel.appendLine(`${new Date().toISOString()} [${level}] ${printable(text)}`);
  }
}
