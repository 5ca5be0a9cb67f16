/** Why the hub refused a request (the `message` of its error), or that it could not be reached. */
export async function refusalReason(response: Response | null): Promise<string> {
  if (!response) return 'the hub is unreachable';
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  return body.message ?? 'unknown error';
}
