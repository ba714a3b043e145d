/** A GitLab-shaped error answer thrown from a handler; the server turns it into JSON. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${status} ${JSON.stringify(body)}`);
  }
}

/** `{"message":"404 Project Not Found"}`: GitLab's not-found shape, entity named. */
export function notFound(what: string): SimHttpError {
  return new SimHttpError(404, { message: `404 ${what} Not Found` });
}

/** Grape's parameter validation answer. */
export function badParam(message: string): SimHttpError {
  return new SimHttpError(400, { error: message });
}

/** A model validation failure: `{"message":{"field":["problem"]}}`. */
export function invalid(field: string, problem: string): SimHttpError {
  return new SimHttpError(400, { message: { [field]: [problem] } });
}

export function forbidden(): SimHttpError {
  return new SimHttpError(403, { message: '403 Forbidden' });
}

export function conflict(message: string): SimHttpError {
  return new SimHttpError(409, { message });
}
