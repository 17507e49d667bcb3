;;; archive-lsp.el --- People's Daily archive documents with archive-lsp and eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages, tools
;; URL: (this repository, editors/emacs)

;;; Commentary:

;; A major mode for bilingual English/Chinese People's Daily archive
;; documents, `archive-doc-mode', and its registration with eglot so that
;; the archive-lsp language server checks them.
;;
;; The mode is called `archive-doc-mode', not `archive-mode': Emacs's own
;; arc-mode.el already defines `archive-mode' (for zip/tar files) and
;; redefining it would break opening archives.  The LSP language id sent to
;; the server is still "archive".
;;
;; Files are recognised by content (FORMAT.md, "Which files"): a .txt or .md
;; file with a `<hr />' line followed later by an `Original:' line (trailing
;; blanks allowed), or a .txt file whose first line starts with `Title:'.
;; This goes through `magic-mode-alist', which is consulted before
;; `auto-mode-alist', so other .md/.txt files keep their usual mode.
;;
;; Setup:
;;
;;   (add-to-list 'load-path "/path/to/repo/editors/emacs")
;;   (require 'archive-lsp)
;;   (setq archive-lsp-command '("archive-lsp"))   ; or an absolute path
;;   (add-hook 'archive-doc-mode-hook #'eglot-ensure)

;;; Code:

(defgroup archive-lsp nil
  "People's Daily archive documents and the archive-lsp language server."
  :group 'languages
  :prefix "archive-lsp-")

(defcustom archive-lsp-command '("archive-lsp")
  "Command (program and arguments) that starts the archive-lsp server on stdio."
  :type '(repeat string)
  :group 'archive-lsp)

(defcustom archive-lsp-scan-limit (* 4 1024 1024)
  "Characters scanned at most to decide whether a file is an archive document."
  :type 'integer
  :group 'archive-lsp)

(defconst archive-lsp--separator-re "^<hr />[ \t]*\r?$")
(defconst archive-lsp--marker-re "^Original:[ \t]*\r?$")

(defun archive-lsp-document-p ()
  "Return non-nil when the current buffer is an archive document.
Decided from the visited file's extension (.txt or .md) and the content."
  (when buffer-file-name
    (let ((ext (file-name-extension buffer-file-name)))
      (when (member ext '("txt" "md"))
        (save-excursion
          (save-restriction
            (widen)
            (goto-char (point-min))
            (let ((limit (min (point-max) (+ (point-min) archive-lsp-scan-limit)))
                  (case-fold-search nil))
              (or (and (equal ext "txt")
                       (looking-at "\ufeff?Title:"))
                  (and (re-search-forward archive-lsp--separator-re limit t)
                       (re-search-forward archive-lsp--marker-re limit t)
                       t)))))))))

(defface archive-lsp-separator-face
  '((t :inherit font-lock-preprocessor-face :weight bold))
  "Face for the `<hr />' separator and the `Original:' marker."
  :group 'archive-lsp)

(defconst archive-lsp-font-lock-keywords
  '(;; Header lines of the translation: Key: value
    ("^\\(\\(?:Title\\|Author\\|Date\\|Page\\|Edition\\|Column\\):\\)\\(.*\\)$"
     (1 font-lock-keyword-face) (2 font-lock-string-face))
    ;; Separator and marker
    ("^<hr />[ \t]*$" . 'archive-lsp-separator-face)
    ("^Original:[ \t]*$" . 'archive-lsp-separator-face)
    ;; Glossary heading
    ("^\\*\\*Named Entities\\*\\*[ \t]*$" . font-lock-type-face)
    ;; The original's header: ### title, date, 第N版(…), 专栏：
    ("^\\(### \\)\\(.*\\)$"
     (1 font-lock-comment-delimiter-face) (2 font-lock-function-name-face))
    ("^[0-9][-0-9]*[ \t]*$" . font-lock-constant-face)
    ("^第[0-9０-９]+版\\(?:[(（][^)）]*[)）]\\)?[ \t]*$" . font-lock-constant-face)
    ("^\\(专栏[：:]\\)\\(.*\\)$"
     (1 font-lock-keyword-face) (2 font-lock-string-face)))
  "Highlighting for `archive-doc-mode'.")

;;;###autoload
(define-derived-mode archive-doc-mode text-mode "Archive"
  "Major mode for People's Daily archive documents.
An English translation above a `<hr />' separator, the Chinese
original below `Original:'.  Diagnostics, hover and navigation
come from archive-lsp through eglot: add `eglot-ensure' to
`archive-doc-mode-hook'."
  (setq-local font-lock-defaults '(archive-lsp-font-lock-keywords t))
  ;; Every paragraph is one long physical line.
  (visual-line-mode 1))

;;;###autoload
(add-to-list 'magic-mode-alist '(archive-lsp-document-p . archive-doc-mode))

(defvar eglot-server-programs)

(defun archive-lsp--server-program (&rest _)
  "Return the archive-lsp command for eglot (reads `archive-lsp-command')."
  archive-lsp-command)

(defun archive-lsp-register-eglot ()
  "Register archive-lsp in `eglot-server-programs' for `archive-doc-mode'."
  (add-to-list 'eglot-server-programs
               '((archive-doc-mode :language-id "archive") . archive-lsp--server-program)))

(with-eval-after-load 'eglot
  (archive-lsp-register-eglot))

(provide 'archive-lsp)
;;; archive-lsp.el ends here
