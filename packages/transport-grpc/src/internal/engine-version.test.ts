import { progressEngineVersion } from '../plugin-provider.js';
import { engineUnderstandsProgress } from './engine-version.js';

describe('engineUnderstandsProgress', () => {
  it.each([
    [progressEngineVersion, true],
    ['2024.1.0.0', true],
    ['2024.2', true],
    ['2025.1.3.12345', true],
    ['2030.0', true],
    ['2023.2.1.89', false],
    ['2023.9', false],
    ['2021.4.2', false],
    ['2024', false],
    ['', false],
    ['dev', false],
    ['v2024.1', false],
  ])('Engine.Version %j -> %s', (version, expected) => {
    expect(engineUnderstandsProgress(version)).toBe(expected);
  });
});
