import { describe, expect, it } from 'vitest';
import { csatScore } from './csat-answer.js';

describe('reading a satisfaction rating', () => {
  it('takes a bare 1 to 5, with its usual decorations, or stars', () => {
    expect(['5', ' 4 ', '3/5', '2 / 5', '4 stars', '1 star', '5!', '4.', '⭐⭐⭐', '★★★★★'].map(csatScore)).toEqual([5, 4, 3, 2, 4, 1, 5, 4, 3, 5]);
  });

  it('leaves anything else to be a message', () => {
    expect(['0', '6', '10', '45', '5 stars but the zip broke again', 'It broke again', '', '⭐⭐⭐⭐⭐⭐', 'order 4'].map(csatScore)).toEqual(Array(9).fill(null));
  });
});
