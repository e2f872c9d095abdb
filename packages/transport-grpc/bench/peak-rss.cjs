// Peak resident set size of this process in KiB. VmHWM is read first: on Linux,
// `process.resourceUsage().maxRSS` of a spawned child can report its parent's RSS at the fork.
const { readFileSync } = require('node:fs');

function peakRssKiB() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: fall through to the portable figure.
  }
  return process.resourceUsage().maxRSS;
}

module.exports = { peakRssKiB };
