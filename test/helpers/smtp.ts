// A real SMTP server on 127.0.0.1 for tests: parses every accepted message, can refuse on demand.
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** SmtpTestOptions script the server's answers to DATA. */
export interface SmtpTestOptions {
  /** Answer 451 (try again later) to the first N messages, then accept. */
  tempFailFirst?: number;
  /** Answer 550 (rejected) to every message. */
  alwaysReject?: boolean;
}

/** SmtpTestServer is a running test server and what it has received. */
export interface SmtpTestServer {
  url: string;
  port: number;
  /** Messages accepted (after parsing), in order. */
  messages: ParsedMail[];
  /** Every DATA attempt, accepted or not. */
  attempts(): number;
  /** waitForMessages resolves once `n` messages were accepted, or rejects after `timeoutMs`. */
  waitForMessages(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** startSmtpServer listens on a free port of 127.0.0.1 without TLS or authentication. */
export async function startSmtpServer(opts: SmtpTestOptions = {}): Promise<SmtpTestServer> {
  const messages: ParsedMail[] = [];
  let attempts = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    // Clients with pooled connections would otherwise hold close() open for 30 s.
    closeTimeout: 200,
    onData(stream, _session, callback) {
      attempts += 1;
      const n = attempts;
      simpleParser(stream)
        .then((mail) => {
          if (opts.alwaysReject) return callback(smtpError(550, "5.7.1 Message rejected by test server"));
          if (n <= (opts.tempFailFirst ?? 0)) return callback(smtpError(451, "4.3.0 Try again later"));
          messages.push(mail);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  // A client killed mid-session (a worker under SIGKILL) resets its socket: that is its problem, not ours.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    attempts: () => attempts,
    async waitForMessages(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} messages, got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}
