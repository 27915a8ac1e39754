// A pupil's name typed into free text however it is spelt: accents or none, any case, glued to digits, written in
// pieces or as a plural. Short name parts are matched as words of their own only, so ordinary words stay readable.
import assert from 'node:assert/strict';
import { redactName } from '../../src/domain/pseudonymise';

describe('redacting a pupil’s name', () => {
  describe('accents and case', () => {
    it('redacts an accented spelling the stored name lacks, in any case', () => {
      assert.equal(
        redactName('Zébédée was upset; ZÉBÉDÉE said so; zébédée agreed.', 'Zebedee Quuxley'),
        '[pupil] was upset; [pupil] said so; [pupil] agreed.',
      );
    });

    it('redacts accents typed as separate marks, and a stored accent typed without it', () => {
      assert.equal(redactName('Ze\u0301be\u0301de\u0301e came in.', 'Zebedee'), '[pupil] came in.');
      assert.equal(redactName('Zoe and ZOE and Zoë.', 'Zoë Hart'), '[pupil] and [pupil] and [pupil].');
    });

    it('leaves the rest of the text as typed, accents and all', () => {
      assert.equal(
        redactName('Café chat with Zébédée — naïve, but “kind”.', 'Zebedee Quuxley'),
        'Café chat with [pupil] — naïve, but “kind”.',
      );
    });

    it('matches letters other alphabets case differently', () => {
      assert.equal(redactName('İSMAİL, Ismail and ismail.', 'Ismail Kaya'), '[pupil], [pupil] and [pupil].');
      assert.equal(redactName('STRASSE and Straße.', 'Jan Straße'), '[pupil] and [pupil].');
    });

    it('sees through invisible characters typed inside the name', () => {
      assert.equal(redactName('Zeb\u200Bedee and Quux\u00ADley.', 'Zebedee Quuxley'), '[pupil] and [pupil].');
    });
  });

  describe('inside longer words', () => {
    it('redacts a name glued to digits', () => {
      assert.equal(
        redactName('Logins: Zebedee123, 2024zebedee, quuxley_99.', 'Zebedee Quuxley'),
        'Logins: [pupil]123, 2024[pupil], [pupil]_99.',
      );
    });

    it('redacts a name written in pieces, or run together, as one', () => {
      assert.equal(
        redactName('ZebedeeQuuxley, ZEBEDEEQuuxley, zebedeequuxley, SamPrice.', 'Zebedee Sam Quuxley-Price'),
        '[pupil], [pupil], [pupil], [pupil].',
      );
    });

    it('redacts a plural and keeps its ending', () => {
      assert.equal(
        redactName('The Quuxleys came; the Joneses too.', 'Zebedee Quuxley Jones'),
        'The [pupil]s came; the [pupil]es too.',
      );
    });

    it('redacts a long part anywhere inside a word', () => {
      assert.equal(
        redactName('superzebedee and Zebedeeish.', 'Zebedee Quuxley'),
        'super[pupil] and [pupil]ish.',
      );
    });

    it('redacts a name with an apostrophe typed without it', () => {
      assert.equal(redactName('ONeil, O’Neil and oneil.', "Liam O'Neil"), '[pupil], [pupil] and [pupil].');
    });
  });

  describe('short name parts', () => {
    it('redacts a two-letter part as a word of its own, in any case or glued to digits', () => {
      assert.equal(
        redactName("Al came in. AL's mum, al, Jo and Jo2 too.", 'Al Jo'),
        "[pupil] came in. [pupil]'s mum, [pupil], [pupil] and [pupil]2 too.",
      );
    });

    it('leaves ordinary words with a two-letter part inside alone', () => {
      const text = 'We also joined the journey; Alan and Jojo enjoyed it. Total: all of it.';
      assert.equal(redactName(text, 'Al Jo'), text);
    });

    it('leaves ordinary words with a three-to-five-letter part inside alone', () => {
      const text = 'The same sample, at times; working and making a kingdom; priceless Samantha.';
      assert.equal(redactName(text, 'Sam Tim King Price'), text);
    });

    it('still redacts those parts as words, in pieces or as plurals', () => {
      assert.equal(
        redactName('Sam and Tim; SamKing, the Kings, both Tims.', 'Sam Tim King'),
        '[pupil] and [pupil]; [pupil], the [pupil]s, both [pupil]s.',
      );
    });
  });
});
