// The API's log: one pino logger, to stderr unless told otherwise. It takes the request
// log when BANKSWITCH_API_LOG=1 and the internal errors always (an error's detail is only
// ever here, under the id its answer names). Tokens never reach it: the authorization
// header and cookies are redacted, and so is a token in a query string.
import pino, { type DestinationStream, type Logger } from 'pino';

/** Header values never written to the log, whatever logs the request. */
export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'headers.authorization', 'headers.cookie'];

const SECRET_QUERY = /([?&](?:token|access_token|api_key|key)=)[^&#]*/gi;

/** A URL as logged: a token some client put in the query string is replaced. */
export const redactUrl = (url: string): string => url.replace(SECRET_QUERY, '$1[redacted]');

interface LoggedRequest {
  method: string;
  url: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

export function createApiLog(destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      name: 'bankswitch-api',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        // Fastify's own request serializer, with the headers (user agent, content type and
        // length help when reading a log); redact then hides the secret ones.
        req: (request: LoggedRequest) => ({
          method: request.method,
          url: redactUrl(request.url),
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
          headers: { ...request.headers },
        }),
      },
    },
    destination,
  );
}
