import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny purpose-built HTTP server for faults the sandbox does not produce on demand (a stalled body, a
 * redirect, HTML from a proxy). Each request takes the next scripted behaviour; the last one repeats.
 */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export interface FaultServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startFaultServer(script: Behaviour[]): Promise<FaultServer> {
  const requests: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, at: Date.now() });
      const behaviour = script[Math.min(requests.length - 1, script.length - 1)];
      behaviour?.(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v2`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Behaviour =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

export const listPage = (records: unknown[] = [], total = records.length): Behaviour =>
  json(200, { meta: { totalRecords: total, returnedRecords: records.length, remainingRecords: Math.max(0, total - records.length), nextStart: records.length }, data: records });

export const destroyBeforeResponse: Behaviour = (req) => {
  req.socket.destroy();
};

export const cutBody: Behaviour = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
  res.write('{"meta":{');
  setTimeout(() => res.socket?.destroy(), 10);
};

export const stallBody =
  (ms: number): Behaviour =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"meta":');
    setTimeout(() => res.socket?.destroy(), ms);
  };
