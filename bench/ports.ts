// Free loopback ports for the processes a bench run starts.
import { createServer } from "node:net";

/** freePort asks the OS for a free port on 127.0.0.1 (free when asked; the caller binds it right after). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const addr = srv.address();
  await new Promise<void>((r) => srv.close(() => r()));
  return typeof addr === "object" && addr ? addr.port : 0;
}
