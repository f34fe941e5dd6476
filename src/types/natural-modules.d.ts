// natural's deep module paths (importing only these keeps start-up fast and keeps the storage
// plugins, which print dotenv tips on stdout, from loading). Types come from natural's own
// index declarations.
declare module 'natural/lib/natural/classifiers/bayes_classifier' {
  import { BayesClassifier } from 'natural/lib/natural/classifiers';
  export = BayesClassifier;
}
declare module 'natural/lib/natural/tokenizers/aggressive_tokenizer' {
  import { AggressiveTokenizer } from 'natural/lib/natural/tokenizers';
  export = AggressiveTokenizer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  import { PorterStemmer } from 'natural/lib/natural/stemmers';
  export = PorterStemmer;
}
