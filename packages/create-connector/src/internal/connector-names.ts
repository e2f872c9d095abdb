/** Every spelling of a connector name the templates use, derived from its kebab-case name. */
export interface ConnectorNames {
  /** `acme-orders`: directory, bin and file names. */
  readonly name: string;
  /** `AcmeOrders`: class names. */
  readonly pascalName: string;
  /** `acmeOrders`: variables. */
  readonly camelName: string;
  /** `ACME_ORDERS`: constants. */
  readonly constantName: string;
  /** `Acme orders`: titles and prose. */
  readonly title: string;
}

/** Derives the spellings from a name that passed `validateConnectorName`. */
export function connectorNames(name: string): ConnectorNames {
  const words = name.split('-');
  const capitalised = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  const pascalName = capitalised.join('');
  return {
    name,
    pascalName,
    camelName: pascalName.charAt(0).toLowerCase() + pascalName.slice(1),
    constantName: words.map((word) => word.toUpperCase()).join('_'),
    title: [capitalised[0], ...words.slice(1)].join(' '),
  };
}
