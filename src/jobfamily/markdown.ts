/**
 * The CommonMark parser, configured once. HTML is recognised (so comments and <div>s become HTML
 * tokens we skip instead of text); typographer and linkify stay off so text is kept as written.
 * markdown-it's own nesting limit (maxNesting) bounds the work on pathological nesting.
 */
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });

export function tokenize(body: string): Token[] {
  return markdown.parse(body, {});
}
