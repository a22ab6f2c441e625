// core/tsconfig.json maps `vscode`, the language client and the LSP connection
// here: this file is no module, so importing any of them from core/ fails to compile.
