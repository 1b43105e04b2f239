export {};
//# sourceMappingURL=identity.js.map