// A connector whose spec throws from a timer, outside any promise the runner awaits.
import { CaptureConnector, type ConnectorSpec, main } from '../index';

class CrashingConnector extends CaptureConnector {
  spec(): Promise<ConnectorSpec> {
    setImmediate(() => {
      throw new TypeError('boom from a timer');
    });
    return new Promise(() => undefined);
  }
  discover() {
    return [];
  }
  validate() {
    return [];
  }
  open() {
    return { tasks: [] };
  }
}

main(new CrashingConnector());
