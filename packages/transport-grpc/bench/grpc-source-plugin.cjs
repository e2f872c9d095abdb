// Our side of the peer comparison: a source plugin (no inputs), the shape of a CloudQuery source plugin.
// When the engine completes the run (at once, as there are no inputs), it generates `Rows` rows of the
// benchmark's table (a float64 = row index, b float64 = rows - index) and writes them to `Output` as
// Arrow tables of `BatchRows` rows each, both read from the tool configuration
// (`<Configuration><Rows>n</Rows><BatchRows>m</BatchRows></Configuration>`).
const { tableFromArrays } = require('apache-arrow');

function configNumber(xml, element) {
  const found = new RegExp(`<${element}>(\\d+)</${element}>`).exec(xml);
  if (!found) throw new Error(`configuration lacks <${element}>`);
  return Number(found[1]);
}

class RowSourcePlugin {
  constructor(provider) {
    this.provider = provider;
    this.rows = configNumber(provider.toolConfigXml, 'Rows');
    this.batchRows = configNumber(provider.toolConfigXml, 'BatchRows');
  }

  async onComplete() {
    for (let first = 0; first < this.rows; first += this.batchRows) {
      const count = Math.min(this.batchRows, this.rows - first);
      const a = new Float64Array(count);
      const b = new Float64Array(count);
      for (let offset = 0; offset < count; offset += 1) {
        a[offset] = first + offset;
        b[offset] = this.rows - first - offset;
      }
      await this.provider.writeToAnchor('Output', tableFromArrays({ a, b }));
    }
  }
}

module.exports = RowSourcePlugin;
