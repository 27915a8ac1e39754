import template from '../../cards/help.json';
import { actionsData, render, type Card } from './render';
import type { CardAction } from './verbs';
import { spoken } from './speak';

export interface HelpCardData {
  name: string;
  rolesLine: string;
  actingLine?: string;
  tips: string[];
  actions: CardAction[];
}

/** The menu for the sender's roles. */
export function helpCard(d: HelpCardData): Card {
  return render(template, {
    speak: spoken(`EIP bot menu for ${d.name}`, d.rolesLine, d.actingLine),
    name: d.name,
    rolesLine: d.rolesLine,
    actingAs: d.actingLine !== undefined,
    actingLine: d.actingLine ?? '',
    tips: d.tips,
    actions: actionsData(d.actions),
  });
}
