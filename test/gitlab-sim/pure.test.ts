import { describe, expect, it } from 'vitest';
import { blobId, diffSnapshots, treeEntries } from '../support/gitlab-sim/git.js';
import { massMentions, quickActionLines, stripQuickActions } from '../support/gitlab-sim/text-checks.js';

describe('text checks', () => {
  it('flags any command-looking line outside fences, strips only known commands', () => {
    const text = 'a\n  /close\n/unknownword here\n~~~\n/merge\n~~~\n/label ~x';
    expect(quickActionLines(text)).toEqual(['/close', '/unknownword here', '/label ~x']);
    // GitLab only executes commands at the very start of a line, and only ones it knows.
    expect(stripQuickActions(text)).toEqual({ text: 'a\n  /close\n/unknownword here\n~~~\n/merge\n~~~', commands: ['/label ~x'] });
  });

  it('finds mass mentions but not usernames, emails or code', () => {
    expect(massMentions('@all @here @acme/sub @alice x@all.com `@here`', ['acme', 'acme/sub'])).toEqual(['@all', '@here', '@acme/sub']);
    expect(massMentions('```\n@all\n```', [])).toEqual([]);
  });
});

describe('git helpers', () => {
  it('computes real git blob ids', () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(blobId('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('lists trees and diffs snapshots', () => {
    const files = new Map([
      ['a/b/c.md', 'c'],
      ['a/d.md', 'd'],
    ]);
    expect(treeEntries(files, '', true)?.map((e) => `${e.type}:${e.path}`)).toEqual(['tree:a', 'tree:a/b', 'blob:a/b/c.md', 'blob:a/d.md']);
    expect(treeEntries(files, 'a', false)?.map((e) => e.name)).toEqual(['b', 'd.md']);
    expect(treeEntries(files, 'missing', false)).toBeUndefined();
    const next = new Map([
      ['a/b/c.md', 'c2'],
      ['z.md', 'd'],
    ]);
    expect(diffSnapshots(files, next).map((d) => [d.old_path, d.new_path, d.new_file, d.renamed_file, d.deleted_file])).toEqual([
      ['a/b/c.md', 'a/b/c.md', false, false, false],
      ['a/d.md', 'z.md', false, true, false],
    ]);
  });
});
