// opencc-js ships types for its full build only; the t2cn entry has the same Converter.
declare module 'opencc-js/t2cn' {
  export function Converter(options: { from: string; to: string }): (text: string) => string;
}
declare module 'opencc-js/cn2t' {
  export function Converter(options: { from: string; to: string }): (text: string) => string;
  export function CustomConverter(dict: [string, string][]): (text: string) => string;
}
