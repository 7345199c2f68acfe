import { describe, expect, it } from 'vitest';
import { extractiveAnswer } from './answer.js';
import { chunkDocument } from './chunk.js';
import { localEmbedding } from './embed.js';
import { ChunkIndex, type IndexedChunk } from './search.js';

const DOCS = {
  shipping: '# Shipping\n\n- Standard delivery in the Netherlands takes 1–2 business days and costs €4.95.\n- Express delivery (order before 14:00) costs €9.95.',
  returns: '# Returns\n\n- You can return any item within 30 days of delivery.\n- Refunds are paid within 5 business days.',
  care: '# Product care\n\n## Jackets\nWash waterproof jackets at 30 degrees. Do not use fabric softener.',
};

function index(): ChunkIndex {
  const chunks: IndexedChunk[] = [];
  for (const [id, body] of Object.entries(DOCS)) {
    const title = body.split('\n')[0].replace('# ', '');
    for (const c of chunkDocument(title, body, 'markdown')) {
      chunks.push({ id: `${id}:${c.ordinal}`, documentId: id, documentTitle: title, heading: c.heading, content: c.content, embedding: localEmbedding(`${title} ${c.heading} ${c.content}`) });
    }
  }
  return new ChunkIndex(chunks);
}

describe('knowledge base retrieval', () => {
  it('chunks markdown per bullet and paragraph, keeping the section heading', () => {
    const chunks = chunkDocument('Product care', DOCS.care, 'markdown');
    expect(chunks).toEqual([{ ordinal: 0, heading: 'Jackets', content: 'Wash waterproof jackets at 30 degrees. Do not use fabric softener.' }]);
    const html = chunkDocument('Page', '<h2>Hours</h2><ul><li>Mon 9-17</li><li>Sat 10-16</li></ul><script>x()</script>', 'html');
    expect(html.map((c) => [c.heading, c.content])).toEqual([
      ['Hours', 'Mon 9-17'],
      ['Hours', 'Sat 10-16'],
    ]);
  });

  it('finds the right article for paraphrased questions', () => {
    const idx = index();
    expect(idx.search('how much is delivery to the netherlands?')[0].chunk.documentId).toBe('shipping');
    expect(idx.search('can I send an item back after 3 weeks')[0].chunk.documentId).toBe('returns');
    expect(idx.search('how do I clean my jacket')[0].chunk.documentId).toBe('care');
  });

  it('answers only with the knowledge base’s own words, with a citation, or not at all', () => {
    const idx = index();
    const a = extractiveAnswer('What does express shipping cost?', idx.search('What does express shipping cost?'));
    expect(a.text).toContain('€9.95');
    expect(a.citations[0].documentId).toBe('shipping');
    const none = extractiveAnswer('Do you sell bicycles in Tokyo?', idx.search('Do you sell bicycles in Tokyo?'));
    expect(none.text).toBeNull();
  });

  it('splits long paragraphs at sentence ends without losing prices, and keeps text around stray angle brackets', () => {
    const long = `${'Our warehouse ships every weekday and we love it. '.repeat(20)}Standard delivery costs €4.95 per order. ${'More text follows here. '.repeat(20)}`;
    const parts = chunkDocument('Shipping', long, 'text').map((c) => c.content);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join(' ')).toContain('Standard delivery costs €4.95 per order.');
    expect(parts.every((p) => p.length <= 800)).toBe(true);
    // An unclosed tag keeps its text rather than swallowing the rest of the page.
    expect(chunkDocument('x', '<p>a <b>b</b> < c', 'html').map((c) => c.content)).toEqual(['a b < c']);
  });
});
