// Shared vitest setup (jsdom). Canvas code is exercised through pure helpers, so no canvas polyfill is needed.
export {};
