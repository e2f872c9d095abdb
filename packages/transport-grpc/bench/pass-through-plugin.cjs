// The benchmark's plugin: writes every incoming table to `Output` unchanged, and reports its peak RSS
// (KiB) and CPU time (microseconds) as its last messages so the engine side can print them.
const { peakRssKiB } = require('./peak-rss.cjs');

class PassThroughPlugin {
  constructor(provider) {
    this.provider = provider;
  }

  async onRecordBatch(table) {
    await this.provider.writeToAnchor('Output', table);
  }

  onComplete() {
    const usage = process.resourceUsage();
    this.provider.io.info(`maxRSS=${peakRssKiB()}`);
    this.provider.io.info(`cpuMicros=${usage.userCPUTime + usage.systemCPUTime}`);
  }
}

module.exports = PassThroughPlugin;
