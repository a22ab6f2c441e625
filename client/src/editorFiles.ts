/**
 * The engine's file access inside the editor: the file system's lock (so the
 * editor and the CLI exclude each other) and its durable writes, except that
 * a write-back to a file open in an editor goes through that editor's
 * document (a minimal edit, then save), so the buffer never goes stale and
 * typing done meanwhile is kept.
 */
import * as vscode from 'vscode';
import { changedSpan } from '../../core/src/edits';
import type { LockedFile, SeriesFiles } from '../../core/src/engine';
import { EngineProblem } from '../../core/src/engine';
import { createNodeSeriesFiles } from '../../core/src/node/seriesFiles';

function openDocument(file: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'file' && document.uri.fsPath === file);
}

/** Replaces the document's text with `next` by one minimal edit, then saves; false when either step fails. */
async function editAndSave(document: vscode.TextDocument, next: string): Promise<boolean> {
  const current = document.getText();
  if (current !== next) {
    const { start, oldEnd, newEnd } = changedSpan(current, next);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(start), document.positionAt(oldEnd)), next.slice(start, newEnd));
    if (!(await vscode.workspace.applyEdit(edit))) return false;
  }
  return document.isDirty ? document.save() : true;
}

export function createEditorSeriesFiles(): SeriesFiles {
  const disk = createNodeSeriesFiles();
  return {
    async read(file) {
      return openDocument(file)?.getText() ?? disk.read(file);
    },

    withLock(file, work, options) {
      return disk.withLock(
        file,
        async (locked) => {
          const document = openDocument(file);
          if (document?.isDirty && document.getText() !== locked.text) {
            throw new EngineProblem('unsaved', `${vscode.workspace.asRelativePath(file)} has unsaved changes: save it, then try again. Nothing was sent.`);
          }
          const inEditor: LockedFile = {
            text: locked.text,
            stillHeld: () => locked.stillHeld(),
            async update(change) {
              const open = openDocument(file);
              const onDisk = await disk.read(file);
              // The buffer holds the disk's text (plus any typing done meanwhile): edit it there.
              if (open && (open.getText() === onDisk || open.isDirty)) {
                let next: string | undefined;
                try {
                  next = change(open.getText());
                } catch {
                  // Typing left the buffer unparsable: record it in the file on disk instead.
                }
                if (next !== undefined && (await editAndSave(open, next))) return;
              }
              // Not open, or a stale clean buffer VS Code is about to reload: write the file.
              await locked.update(change);
            },
          };
          return work(inEditor);
        },
        options,
      );
    },

    createNew: (file, text) => disk.createNew(file, text),

    resolve: (folder, name) => disk.resolve(folder, name),
  };
}
