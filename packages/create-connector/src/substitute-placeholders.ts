import { TemplateError } from './errors/template-error';

// `{{ key }}`: a letter, then letters and digits. Anything else between braces is left as written,
// so templates may contain ordinary `{{` in code.
const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/**
 * Replaces every `{{key}}` (spaces inside the braces allowed) in `template` by `values[key]`, in a
 * single pass: a value that itself contains `{{...}}` is inserted as written, never expanded again, so
 * no value can inject placeholders. Text that is not a placeholder is copied unchanged.
 *
 * @param templateName Named in the error, e.g. the template's path. Defaults to `'template'`.
 * @throws TemplateError (`CREATE_CONNECTOR_TEMPLATE`) listing every placeholder without a value.
 */
export function substitutePlaceholders(
  template: string,
  values: Readonly<Record<string, string>>,
  templateName = 'template',
): string {
  const missing = new Set<string>();
  const result = template.replace(PLACEHOLDER_PATTERN, (placeholder: string, key: string) => {
    if (!Object.hasOwn(values, key)) {
      missing.add(key);
      return placeholder;
    }
    return values[key] as string;
  });
  if (missing.size > 0) {
    throw new TemplateError(`${templateName} uses placeholders without a value: ${[...missing].join(', ')}`);
  }
  return result;
}
