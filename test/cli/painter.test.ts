import { describe, expect, it } from 'vitest';
import { painter } from '../../src/cli/painter.js';

const tty = { isTTY: true };

describe('painter', () => {
  it('colours only a terminal stream when colour is supported', () => {
    expect(painter(tty, {}, 1).red('x')).not.toBe('x');
    expect(painter({ isTTY: false }, {}, 3).red('x')).toBe('x');
    expect(painter({}, {}, 3).red('x')).toBe('x');
    expect(painter(tty, {}, 0).red('x')).toBe('x');
  });

  it('honours NO_COLOR (any non-empty value), which chalk itself does not read', () => {
    expect(painter(tty, { NO_COLOR: '1' }, 3).red('x')).toBe('x');
    expect(painter(tty, { NO_COLOR: '' }, 1).red('x')).not.toBe('x');
  });
});
