const MASK = '****';
/** Shorter secrets are masked only where they stand as a whole word, so "k" does not eat every "k". */
const MIN_SUBSTRING_SECRET_LENGTH = 4;

/** Replaces secret values in text before it leaves the process (logs, error traces, output messages). */
export class SecretTextMasker {
  private readonly substrings: string[];
  private readonly wholeWords: RegExp | undefined;

  constructor(secrets: Iterable<unknown>) {
    const values = [
      ...new Set([...secrets].filter((value): value is string => typeof value === 'string' && value !== '')),
    ];
    // Longest first, so a secret that contains another is masked whole.
    this.substrings = values
      .filter((value) => value.length >= MIN_SUBSTRING_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
    const short = values.filter((value) => value.length < MIN_SUBSTRING_SECRET_LENGTH);
    this.wholeWords =
      short.length === 0
        ? undefined
        : new RegExp(`(?<![\\p{L}\\p{N}_])(?:${short.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])`, 'gu');
  }

  mask(text: string): string {
    let masked = text;
    for (const secret of this.substrings) {
      if (masked.includes(secret)) masked = masked.split(secret).join(MASK);
    }
    return this.wholeWords === undefined ? masked : masked.replace(this.wholeWords, MASK);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
