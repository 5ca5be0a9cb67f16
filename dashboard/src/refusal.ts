/** Hub error codes worded for a person; other refusals show the hub's own message, as a sentence. */
const FRIENDLY: Readonly<Record<string, string>> = {
  HEARTH_FORBIDDEN: 'Your account is not allowed to do this. An owner or admin can.',
  HEARTH_UNAUTHENTICATED: 'You are signed out. Sign in again and retry.',
  FST_ERR_VALIDATION: 'The hub did not accept that value.',
};

/** "wrong user name or password" becomes "Wrong user name or password." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** Why the hub refused a request, as a sentence to show, or that it could not be reached. */
export async function refusalReason(response: Response | null): Promise<string> {
  if (!response) return 'The hub is unreachable. Check that it is running and try again.';
  const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
  const friendly = body.code === undefined ? undefined : FRIENDLY[body.code];
  if (friendly && body.code === 'FST_ERR_VALIDATION' && body.message) return `${friendly} (${body.message})`;
  return friendly ?? sentence(body.message ?? `The hub refused (${response.status}).`);
}
