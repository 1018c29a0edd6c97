import { describe, expect, it } from 'vitest';
import { parseBoolean, parseList, parseTimeOfDay } from '../../../src/shared/values.js';

describe('parseBoolean (INI booleans)', () => {
  it.each([
    ['1', true],
    ['0', false],
    ['true', true],
    ['false', false],
    ['yes', true],
    ['no', false],
    ['oui', true],
    ['non', false],
    ['OUI', true],
    [' Non ', false],
    ['True', true],
    [true, true],
    [false, false],
    [1, true],
    [0, false],
  ] as const)('%j → %s', (input, expected) => {
    expect(parseBoolean(input)).toBe(expected);
  });

  it.each(['', 'peut-être', '2', 'vrai', 'o', 2, null, {}])('%j is not a boolean', (input) => {
    expect(parseBoolean(input)).toBeUndefined();
  });
});

describe('parseList', () => {
  it.each([
    ['mandat*;*.xml', ['mandat*', '*.xml']],
    ['mandat*,*.xml', ['mandat*', '*.xml']],
    [' a ; b ;; c ', ['a', 'b', 'c']],
    ['*', ['*']],
    ['', []],
    [['a;b', 'c'], ['a;b', 'c']],
    [[1, 'x'], ['1', 'x']],
  ] as const)('%j → %j', (input, expected) => {
    expect(parseList(input)).toEqual(expected);
  });

  it.each([42, true, [{}], { a: 1 }])('%j is not a list', (input) => {
    expect(parseList(input)).toBeUndefined();
  });
});

describe('parseTimeOfDay', () => {
  it.each([
    ['18:00', '18:00'],
    ['8:30', '08:30'],
    ['00:00', '00:00'],
    ['23:59', '23:59'],
  ])('%s → %s', (input, expected) => {
    expect(parseTimeOfDay(input)).toBe(expected);
  });

  it.each(['24:00', '12:60', '1800', '18h00', '', '7:5'])('%s is not a time', (input) => {
    expect(parseTimeOfDay(input)).toBeUndefined();
  });
});
