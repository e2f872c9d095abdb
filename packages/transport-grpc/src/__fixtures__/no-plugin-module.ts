// A module without a plugin class: the plugin host must refuse it before printing a port.
export const notAPlugin = 42;
