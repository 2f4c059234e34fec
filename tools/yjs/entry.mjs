// Everything the shared-text editor (workshop/components/co_text.js) uses of Yjs, as one module.
export * from "yjs";
